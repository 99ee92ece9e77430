/**
 * The fake WeCom API's checks of request bodies: the parameter mistakes WeCom refuses, with the
 * errcodes it uses (approximated where WeCom's documentation is vague).
 */
const taskIdPattern = /^[A-Za-z0-9_\-@]{1,128}$/;
const maxContentBytes = 2048;

export interface BodyProblem {
  errcode: number;
  errmsg: string;
}

const problem = (errcode: number, errmsg: string): BodyProblem => ({ errcode, errmsg });

function checkAgent(body: Record<string, unknown>, agentId: number | undefined): BodyProblem | undefined {
  if (typeof body['agentid'] !== 'number') return problem(41011, 'missing agentid');
  if (agentId !== undefined && body['agentid'] !== agentId) return problem(40056, 'invalid agentid');
  return undefined;
}

function checkContent(part: unknown): BodyProblem | undefined {
  const content =
    typeof part === 'object' && part !== null ? (part as Record<string, unknown>)['content'] : undefined;
  if (typeof content !== 'string' || content.length === 0) return problem(44004, 'empty content');
  if (Buffer.byteLength(content) > maxContentBytes) return problem(45002, 'content size out of limit');
  return undefined;
}

function checkCard(card: unknown): BodyProblem | undefined {
  if (typeof card !== 'object' || card === null) return problem(40058, 'missing template_card');
  const c = card as Record<string, unknown>;
  if (c['card_type'] !== 'button_interaction')
    return problem(40058, 'card_type must be button_interaction here');
  const title = (c['main_title'] as Record<string, unknown> | undefined)?.['title'];
  if (typeof title !== 'string' || title.length === 0) return problem(40058, 'missing main_title.title');
  if (typeof c['task_id'] !== 'string' || !taskIdPattern.test(c['task_id']))
    return problem(40058, 'invalid task_id');
  const buttons = c['button_list'];
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 6) {
    return problem(40058, 'button_list must hold 1 to 6 buttons');
  }
  const keys = new Set<string>();
  for (const b of buttons as Record<string, unknown>[]) {
    if (typeof b['text'] !== 'string' || b['text'].length === 0) return problem(40058, 'button text missing');
    if (typeof b['key'] !== 'string' || b['key'].length === 0 || Buffer.byteLength(b['key']) > 1024) {
      return problem(40058, 'invalid button key');
    }
    if (keys.has(b['key'])) return problem(40058, 'duplicate button key');
    keys.add(b['key']);
  }
  return undefined;
}

export function checkSendBody(
  body: Record<string, unknown>,
  agentId: number | undefined,
): BodyProblem | undefined {
  const agent = checkAgent(body, agentId);
  if (agent) return agent;
  if (typeof body['touser'] !== 'string' || body['touser'].length === 0)
    return problem(40031, 'invalid touser');
  switch (body['msgtype']) {
    case 'text':
      return checkContent(body['text']);
    case 'markdown':
      return checkContent(body['markdown']);
    case 'template_card':
      return checkCard(body['template_card']);
    default:
      return problem(40008, 'invalid message type');
  }
}

export function checkUpdateBody(
  body: Record<string, unknown>,
  agentId: number | undefined,
): BodyProblem | undefined {
  const agent = checkAgent(body, agentId);
  if (agent) return agent;
  if (typeof body['response_code'] !== 'string') return problem(40058, 'missing response_code');
  const button = body['button'] as Record<string, unknown> | undefined;
  if (typeof button?.['replace_name'] !== 'string' || button['replace_name'].length === 0) {
    return problem(40058, 'missing button.replace_name');
  }
  return undefined;
}
