/**
 * The confirmation of the one-click actions: capture manually (money taken outside the gateway, which rules out an
 * automatic refund later), mark as refunded (a manual capture refunded outside the gateway), reauthorize (PayPal, past
 * the honor period), cancel an authorization.
 */
import { Button, Prompt } from "@medusajs/ui"
import { formatMinorAmount } from "../lib/currency-amounts"
import { displayAmount, gatewayLabel, reauthorizeDescription } from "../lib/transaction-display"
import { capturableAmountOf, refundableAmountOf } from "../lib/transaction-request-bodies"
import type { Transaction } from "../lib/transaction-types"

export type ConfirmedActionKind = "capture-manual" | "mark-refunded" | "reauthorize" | "cancel"

export interface TransactionActionConfirmationProps {
  pending: { kind: ConfirmedActionKind; transaction: Transaction } | null
  isBusy: boolean
  onClose: () => void
  /** Resolves true when the action succeeded (the prompt then closes). */
  onConfirm: (kind: ConfirmedActionKind, transaction: Transaction) => Promise<boolean>
}

function texts(kind: ConfirmedActionKind, tx: Transaction): { title: string; description: string; confirm: string } {
  const gateway = gatewayLabel(tx.gateway)
  switch (kind) {
    case "capture-manual":
      return {
        title: "Capture manually?",
        description:
          `This records ${formatMinorAmount(capturableAmountOf(tx), tx.currency)} as captured outside ${gateway} ` +
          `(for example paid by bank transfer, or captured in the ${gateway} dashboard); nothing is sent to ` +
          `${gateway}. A manually captured payment cannot be refunded automatically later: you will have to refund ` +
          "the customer yourself and mark the capture as refunded.",
        confirm: "Capture manually",
      }
    case "mark-refunded":
      return {
        title: "Mark as refunded?",
        description:
          `This records the remaining ${formatMinorAmount(refundableAmountOf(tx), tx.currency)} of this manual ` +
          `capture (${displayAmount(tx)}) as refunded. No money is moved: refund the customer yourself first.`,
        confirm: "Mark as refunded",
      }
    case "reauthorize":
      return {
        title: "Reauthorize the payment?",
        description: reauthorizeDescription(tx),
        confirm: "Reauthorize",
      }
    case "cancel":
      return {
        title: "Cancel the authorization?",
        description:
          `This releases the ${formatMinorAmount(capturableAmountOf(tx), tx.currency)} still held at ${gateway}. ` +
          "Nothing more can be captured on this authorization afterwards.",
        confirm: "Cancel authorization",
      }
  }
}

export function TransactionActionConfirmation({
  pending,
  isBusy,
  onClose,
  onConfirm,
}: TransactionActionConfirmationProps) {
  const content = pending ? texts(pending.kind, pending.transaction) : null
  return (
    <Prompt open={pending !== null} onOpenChange={(open) => !open && !isBusy && onClose()}>
      <Prompt.Content data-testid={pending ? `confirm-${pending.kind}` : undefined}>
        <Prompt.Header>
          <Prompt.Title>{content?.title}</Prompt.Title>
          <Prompt.Description data-testid="confirm-action-description">{content?.description}</Prompt.Description>
        </Prompt.Header>
        <Prompt.Footer>
          <Button
            type="button"
            variant="secondary"
            size="small"
            disabled={isBusy}
            onClick={onClose}
            data-testid="confirm-action-cancel"
          >
            Back
          </Button>
          <Button
            type="button"
            size="small"
            variant={pending?.kind === "cancel" ? "danger" : "primary"}
            isLoading={isBusy}
            disabled={isBusy}
            data-testid="confirm-action-confirm"
            onClick={async () => {
              if (pending && (await onConfirm(pending.kind, pending.transaction))) {
                onClose()
              }
            }}
          >
            {content?.confirm}
          </Button>
        </Prompt.Footer>
      </Prompt.Content>
    </Prompt>
  )
}
