/**
 * The capture form of an authorization: amount in MAJOR units (defaults to what is left to capture), the order lines
 * it pays for (their total fills the amount; their ids become `invoice_detail_ids`), the custom reference (prefilled
 * with the authorization's; clearing it clears it), a statement descriptor, and final / non-final (final only when the
 * payment has no multicapture). When the capture would close the authorization with less than is left, the form
 * says that the rest will be released.
 */
import { Button, Checkbox, Drawer, Hint, Input, Label, RadioGroup, Text } from "@medusajs/ui"
import { useEffect, useMemo, useState, type FormEvent } from "react"
import { formatMinorAmount, minorToMajorString, parseMajorAmount } from "../lib/currency-amounts"
import {
  STATEMENT_DESCRIPTOR_MAX_LENGTH,
  buildCaptureRequestBody,
  capturableAmountOf,
  captureTypeOptions,
  defaultCaptureType,
  initialCaptureFormValues,
  releaseNotice,
  selectedLineItemsTotal,
  type CaptureFormErrors,
  type CaptureFormValues,
  type CaptureLineItem,
  type CaptureType,
} from "../lib/transaction-request-bodies"
import type { CaptureRequestData, Transaction } from "../lib/transaction-types"

export interface CaptureFormDrawerProps {
  transaction: Transaction | null
  lineItems: CaptureLineItem[]
  isBusy: boolean
  onClose: () => void
  /** Resolves true when the capture succeeded (the drawer then closes). */
  onSubmit: (transaction: Transaction, data: CaptureRequestData) => Promise<boolean>
}

const EMPTY: CaptureFormValues = {
  amount: "",
  customReference: "",
  statementDescriptor: "",
  captureType: "final",
  lineItemIds: [],
}

export function CaptureFormDrawer({ transaction, lineItems, isBusy, onClose, onSubmit }: CaptureFormDrawerProps) {
  const [values, setValues] = useState<CaptureFormValues>(EMPTY)
  const [captureTypeTouched, setCaptureTypeTouched] = useState(false)
  const [errors, setErrors] = useState<CaptureFormErrors>({})

  const currency = transaction?.currency ?? ""
  const capturable = transaction ? capturableAmountOf(transaction) : 0
  const multicapture = transaction?.multicapture ?? null
  const typeOptions = transaction ? captureTypeOptions(transaction) : (["final"] as CaptureType[])
  const parsedAmount = parseMajorAmount(values.amount, currency)
  const release = releaseNotice({
    amountMinor: parsedAmount.ok ? parsedAmount.minor : null,
    capturableAmount: capturable,
    captureType: values.captureType,
    currency,
    multicapture,
  })

  useEffect(() => {
    if (transaction) {
      setValues(initialCaptureFormValues(transaction))
      setCaptureTypeTouched(false)
      setErrors({})
    }
  }, [transaction])

  const selectedTotal = useMemo(
    () => selectedLineItemsTotal(lineItems, values.lineItemIds),
    [lineItems, values.lineItemIds]
  )

  function update(patch: Partial<CaptureFormValues>) {
    setValues((current) => {
      const next = { ...current, ...patch }
      if (!captureTypeTouched && patch.amount !== undefined) {
        const parsed = parseMajorAmount(next.amount, currency)
        next.captureType = defaultCaptureType(parsed.ok ? parsed.minor : null, capturable, multicapture)
      }
      return next
    })
  }

  function toggleLineItem(id: string, checked: boolean) {
    const ids = checked ? [...values.lineItemIds, id] : values.lineItemIds.filter((i) => i !== id)
    const total = selectedLineItemsTotal(lineItems, ids)
    update({
      lineItemIds: ids,
      amount: minorToMajorString(ids.length && total > 0 ? total : capturable, currency),
    })
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!transaction || isBusy) {
      return
    }
    const result = buildCaptureRequestBody(values, {
      currency,
      capturableAmount: capturable,
      originalCustomReference: transaction.custom_reference,
      selectedLinesTotal: values.lineItemIds.length ? selectedTotal : null,
      multicapture,
    })
    if (!result.ok) {
      setErrors(result.errors)
      return
    }
    setErrors({})
    if (await onSubmit(transaction, result.data)) {
      onClose()
    }
  }

  return (
    <Drawer open={transaction !== null} onOpenChange={(open) => !open && !isBusy && onClose()}>
      <Drawer.Content data-testid="capture-form" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>Capture payment</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-1 flex-col gap-y-6 overflow-y-auto">
            {transaction ? (
              <Text size="small" className="text-ui-fg-subtle">
                {formatMinorAmount(capturable, currency)} left to capture on authorization{" "}
                <span className="font-mono">{transaction.reference}</span>.
              </Text>
            ) : null}

            <div className="flex flex-col gap-y-2">
              <Label htmlFor="capture-form-amount" weight="plus">
                Amount ({currency})
              </Label>
              <Input
                id="capture-form-amount"
                data-testid="capture-form-amount"
                inputMode="decimal"
                autoComplete="off"
                value={values.amount}
                aria-invalid={!!errors.amount}
                onChange={(e) => update({ amount: e.target.value })}
              />
              {errors.amount ? (
                <Hint variant="error" data-testid="capture-form-amount-error">
                  {errors.amount}
                </Hint>
              ) : (
                <Hint>
                  In {currency}, up to {minorToMajorString(capturable, currency)}.
                </Hint>
              )}
            </div>

            {lineItems.length ? (
              <fieldset className="flex flex-col gap-y-2" data-testid="capture-form-line-items">
                <Label weight="plus">Order lines paid by this capture</Label>
                {lineItems.map((item) => {
                  const checked = values.lineItemIds.includes(item.id)
                  const inputId = `capture-form-line-item-${item.id}`
                  return (
                    <div key={item.id} className="flex items-center gap-x-3">
                      <Checkbox
                        id={inputId}
                        data-testid="capture-form-line-item"
                        data-line-item-id={item.id}
                        checked={checked}
                        onCheckedChange={(state) => toggleLineItem(item.id, state === true)}
                      />
                      <Label htmlFor={inputId} className="flex flex-1 justify-between gap-x-2">
                        <span>
                          {item.title} × {item.quantity}
                        </span>
                        <span className="text-ui-fg-subtle">
                          {item.totalMinor === null ? "—" : formatMinorAmount(item.totalMinor, currency)}
                        </span>
                      </Label>
                    </div>
                  )
                })}
                {values.lineItemIds.length ? (
                  <Hint data-testid="capture-form-line-items-total">
                    Selected lines: {formatMinorAmount(selectedTotal, currency)}
                  </Hint>
                ) : null}
              </fieldset>
            ) : null}

            <div className="flex flex-col gap-y-2">
              <Label htmlFor="capture-form-custom-reference" weight="plus">
                Custom reference
              </Label>
              <Input
                id="capture-form-custom-reference"
                data-testid="capture-form-custom-reference"
                autoComplete="off"
                value={values.customReference}
                onChange={(e) => update({ customReference: e.target.value })}
              />
              <Hint>The authorization&apos;s reference; change it to replace it, clear it to remove it.</Hint>
            </div>

            <div className="flex flex-col gap-y-2">
              <Label htmlFor="capture-form-statement-descriptor" weight="plus">
                Statement descriptor
              </Label>
              <Input
                id="capture-form-statement-descriptor"
                data-testid="capture-form-statement-descriptor"
                autoComplete="off"
                maxLength={STATEMENT_DESCRIPTOR_MAX_LENGTH}
                value={values.statementDescriptor}
                aria-invalid={!!errors.statementDescriptor}
                onChange={(e) => update({ statementDescriptor: e.target.value })}
              />
              {errors.statementDescriptor ? (
                <Hint variant="error" data-testid="capture-form-statement-descriptor-error">
                  {errors.statementDescriptor}
                </Hint>
              ) : (
                <Hint>
                  Optional, at most {STATEMENT_DESCRIPTOR_MAX_LENGTH} characters, on the customer&apos;s statement.
                </Hint>
              )}
            </div>

            <div className="flex flex-col gap-y-2">
              <Label weight="plus">Capture type</Label>
              <RadioGroup
                value={values.captureType}
                onValueChange={(value) => {
                  setCaptureTypeTouched(true)
                  setValues((current) => ({ ...current, captureType: value as CaptureType }))
                }}
                className="flex flex-col gap-y-2"
              >
                <div className="flex items-center gap-x-2">
                  <RadioGroup.Item
                    value="final"
                    id="capture-form-capture-type-final"
                    data-testid="capture-form-capture-type-final"
                  />
                  <Label htmlFor="capture-form-capture-type-final">
                    Final: release whatever is left of the authorization
                  </Label>
                </div>
                {typeOptions.includes("non-final") ? (
                  <div className="flex items-center gap-x-2">
                    <RadioGroup.Item
                      value="non-final"
                      id="capture-form-capture-type-non-final"
                      data-testid="capture-form-capture-type-non-final"
                    />
                    <Label htmlFor="capture-form-capture-type-non-final">Non-final: more captures will follow</Label>
                  </div>
                ) : null}
              </RadioGroup>
              {typeOptions.includes("non-final") ? null : (
                <Hint data-testid="capture-form-single-capture">
                  This payment can be captured only once (no multicapture), so every capture is final.
                </Hint>
              )}
              {errors.captureType ? (
                <Hint variant="error" data-testid="capture-form-capture-type-error">
                  {errors.captureType}
                </Hint>
              ) : null}
              {release ? <Hint data-testid="capture-form-release-notice">{release}</Hint> : null}
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button
                type="button"
                variant="secondary"
                size="small"
                disabled={isBusy}
                data-testid="capture-form-cancel"
              >
                Cancel
              </Button>
            </Drawer.Close>
            <Button type="submit" size="small" isLoading={isBusy} disabled={isBusy} data-testid="capture-form-submit">
              Capture
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
