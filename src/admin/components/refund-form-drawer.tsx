/** The refund form of a capture: an amount in MAJOR units, at most what is left to refund (the default). */
import { Alert, Button, Drawer, Hint, Input, Label, Text } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { formatMinorAmount, minorToMajorString } from "../lib/currency-amounts"
import { buildRefundRequestBody, refundableAmountOf } from "../lib/transaction-request-bodies"
import type { Transaction } from "../lib/transaction-types"

export interface RefundFormDrawerProps {
  transaction: Transaction | null
  /** An open dispute on this capture: refunding may be refused, or pay the customer twice. */
  blockedByDispute: boolean
  isBusy: boolean
  onClose: () => void
  /** Resolves true when the refund succeeded (the drawer then closes). */
  onSubmit: (transaction: Transaction, amountMinor: number) => Promise<boolean>
}

export function RefundFormDrawer({ transaction, blockedByDispute, isBusy, onClose, onSubmit }: RefundFormDrawerProps) {
  const [amount, setAmount] = useState("")
  const [error, setError] = useState<string | undefined>()
  const currency = transaction?.currency ?? ""
  const refundable = transaction ? refundableAmountOf(transaction) : 0

  useEffect(() => {
    if (transaction) {
      setAmount(minorToMajorString(refundableAmountOf(transaction), transaction.currency))
      setError(undefined)
    }
  }, [transaction])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!transaction || isBusy) {
      return
    }
    const result = buildRefundRequestBody(amount, { currency, refundableAmount: refundable })
    if (!result.ok) {
      setError(result.error)
      return
    }
    setError(undefined)
    if (await onSubmit(transaction, result.body.data.amount)) {
      onClose()
    }
  }

  return (
    <Drawer open={transaction !== null} onOpenChange={(open) => !open && !isBusy && onClose()}>
      <Drawer.Content data-testid="refund-form" aria-describedby={undefined}>
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>Refund payment</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-1 flex-col gap-y-6 overflow-y-auto">
            {transaction ? (
              <Text size="small" className="text-ui-fg-subtle">
                {formatMinorAmount(refundable, currency)} left to refund on capture{" "}
                <span className="font-mono">{transaction.reference}</span>. The refund goes back to the customer through
                the payment provider.
              </Text>
            ) : null}
            {blockedByDispute ? (
              <Alert variant="warning" data-testid="refund-form-dispute-warning">
                This payment has an open dispute. The provider may refuse the refund, and refunding a disputed payment
                can pay the customer twice if you also lose the dispute.
              </Alert>
            ) : null}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="refund-form-amount" weight="plus">
                Amount ({currency})
              </Label>
              <Input
                id="refund-form-amount"
                data-testid="refund-form-amount"
                inputMode="decimal"
                autoComplete="off"
                value={amount}
                aria-invalid={!!error}
                onChange={(e) => setAmount(e.target.value)}
              />
              {error ? (
                <Hint variant="error" data-testid="refund-form-amount-error">
                  {error}
                </Hint>
              ) : (
                <Hint>
                  In {currency}, up to {minorToMajorString(refundable, currency)}.
                </Hint>
              )}
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button type="button" variant="secondary" size="small" disabled={isBusy} data-testid="refund-form-cancel">
                Cancel
              </Button>
            </Drawer.Close>
            <Button type="submit" size="small" isLoading={isBusy} disabled={isBusy} data-testid="refund-form-submit">
              Refund
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
