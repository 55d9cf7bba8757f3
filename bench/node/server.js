// The protected route of the source lesson on Node.js, for comparison with
// learn's GET /playground/api/jwt/data in bench/verify.sh. It uses only the
// http module and jsonwebtoken, as that lesson does.
//
//   JWT_SECRET=... PORT=8081 node server.js    serve on 127.0.0.1:PORT
//   JWT_SECRET=... node server.js sign valid    print a token valid for an hour
//   JWT_SECRET=... node server.js sign expired  print a token that expired an hour ago
'use strict';

const http = require('http');
const jwt = require('jsonwebtoken');

const secret = process.env.JWT_SECRET;
if (!secret || secret.length < 32) {
  console.error('JWT_SECRET must be set to at least 32 characters');
  process.exit(2);
}

if (process.argv[2] === 'sign') {
  const now = Math.floor(Date.now() / 1000);
  const offset = process.argv[3] === 'expired' ? -7200 : 0;
  const claims = { sub: 'ada', iat: now + offset, exp: now + offset + 3600 };
  console.log(jwt.sign(claims, secret, { algorithm: 'HS256' }));
  process.exit(0);
}

const route = '/playground/api/jwt/data';

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== route) {
    send(res, 404, { error: 'Not found' });
    return;
  }
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
    send(res, 200, { message: 'Access granted', username: claims.sub });
  } catch (err) {
    send(res, 401, { error: 'Invalid or expired token' });
  }
});

const port = Number(process.env.PORT || 8081);
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}${route}`);
});
