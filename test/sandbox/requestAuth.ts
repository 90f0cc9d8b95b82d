/** How a request presents its token (header or access_token query) and its widget ID. */
import type { TokenPresentation } from './sandboxTypes';

export interface TokenCheck {
	auth: TokenPresentation;
	tokenInQuery: boolean;
}

/**
 * Both transports are allowed by the spec. Every token the request carries must be the right one: a right header
 * next to a wrong query token is 'wrong'. A header that is not `Bearer <token>` is 'wrong'.
 */
export function checkToken(
	authorization: string | undefined,
	query: URLSearchParams,
	token: string,
): TokenCheck {
	const queryTokens = query.getAll('access_token');
	const tokenInQuery = queryTokens.length > 0;
	if (authorization === undefined && !tokenInQuery) return { auth: 'missing', tokenInQuery };
	const presented: string[] = [...queryTokens];
	if (authorization !== undefined) {
		const bearer = /^Bearer (.+)$/i.exec(authorization);
		if (!bearer) return { auth: 'wrong', tokenInQuery };
		presented.push(bearer[1]);
	}
	if (presented.some((candidate) => candidate !== token)) return { auth: 'wrong', tokenInQuery };
	return { auth: authorization !== undefined ? 'bearer' : 'query', tokenInQuery };
}

/** Why the widget ID does not match, or undefined when it does. */
export function widgetProblem(
	presented: string[],
	widgetId: string,
	where: string,
): string | undefined {
	if (presented.length === 0) return `widgetId ${where} is required`;
	if (presented.length > 1) return `widgetId ${where} must be given once, got ${presented.length}`;
	if (presented[0] !== widgetId)
		return `widgetId ${JSON.stringify(presented[0])} does not match this token's widget`;
	return undefined;
}

export function tokenProblem(auth: TokenPresentation): string | undefined {
	if (auth === 'missing')
		return 'no token: send Authorization: Bearer <token> or access_token=<token>';
	if (auth === 'wrong') return 'the token is not valid';
	return undefined;
}
