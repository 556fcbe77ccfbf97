export { logInput } from './log-input.js';
export { startLumenProcess, type LumenProcess } from './lumen-process.js';
export {
  findPostgresBinaries,
  findRedisServer,
  freePort,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivatePostgres,
  type PrivateRedis,
} from './private-services.js';
export { mulberry32, Random } from './random.js';
