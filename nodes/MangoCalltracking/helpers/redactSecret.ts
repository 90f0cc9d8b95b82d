/** Replaces every occurrence of the secret (the access token) so it cannot reach output, errors or logs. */
export function redactSecret(text: string, secret: unknown): string {
	if (typeof secret !== 'string' || secret.length < 4) return text;
	return text.split(secret).join('[redacted]');
}
