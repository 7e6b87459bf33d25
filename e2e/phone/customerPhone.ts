/** Serves the customer's SIP.js phone page (and SIP.js's own ES modules) on a free loopback port. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const sipLib = join(here, '..', '..', 'node_modules', 'sip.js', 'lib');

export interface CustomerPhoneSite {
  url: string;
  close(): Promise<void>;
}

export const serveCustomerPhone = (): Promise<CustomerPhoneSite> =>
  new Promise((resolve) => {
    const server: Server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path === '/' ? join(here, 'customer.html') : path.startsWith('/sip/') ? normalize(join(sipLib, path.slice(5))) : null;
      if (!file || !file.startsWith(path === '/' ? here : sipLib) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' });
      createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
