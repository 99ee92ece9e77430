/** A call to a stand-in's unsigned `/_admin` API: its status and its JSON answer. */
export async function adminRequest<Body = Record<string, unknown>>(
  url: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}
