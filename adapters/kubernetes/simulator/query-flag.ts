/**
 * A boolean query parameter as kube-apiserver reads it (apimachinery's
 * Convert_Slice_string_To_bool): absent is false, "0" and "false" in any case are false,
 * and anything else — "True" as the Python client sends it, "1", even an empty value — is true.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  return value !== '0' && value.toLowerCase() !== 'false';
}
