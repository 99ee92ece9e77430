/** What a click on a WeCom approval card tells: whose card, and the response code to update it with. */
export interface WeComCardClick {
  taskId: string;
  requestId: string;
  userId: string;
  responseCode: string;
  messageId: string;
}

/**
 * The card a click shows was sent, when no record of the send is left (a restart lost it): open,
 * sent now, in English (the send's locale went with it), so the decision can still update it.
 */
export function wecomCardFromClick(click: WeComCardClick, sentAt: Date) {
  return {
    taskId: click.taskId,
    requestId: click.requestId,
    userId: click.userId,
    locale: 'en' as const,
    responseCode: click.responseCode,
    clickMessageId: click.messageId,
    closed: false,
    sentAt,
  };
}
