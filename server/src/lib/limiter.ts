import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommandError } from '@atende/core';

/**
 * One counting rule of @fastify/rate-limit as a request hook. Several may
 * guard one route (the library's own route hook runs only the first per
 * request): each counts its own key, and the first exceeded answers 429 with
 * Retry-After.
 */
export const limiter = (app: FastifyInstance, options: { name: string; max: number; timeWindow: number; key: (request: FastifyRequest) => string }) => {
  const check = app.createRateLimit({ max: options.max, timeWindow: options.timeWindow, keyGenerator: (r: FastifyRequest) => `${options.name}:${options.key(r)}` });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    const seconds = Math.max(1, result.ttlInSeconds);
    reply.header('retry-after', seconds);
    throw new CommandError('resource-exhausted', `Muitas requisições: aguarde ${seconds} s. (Too many requests: wait ${seconds} s.)`, [
      { path: '(request)', message: `${options.name}: at most ${options.max} per ${options.timeWindow / 1000} s` },
    ]);
  };
};
