import { startGateway } from './index.js';

const running = await startGateway(Number(process.env.GATEWAY_PORT ?? 4000));
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
