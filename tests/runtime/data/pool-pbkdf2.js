// Six pbkdf2 jobs on a pool of four: four start at once on four workers, two wait for a free one.
const crypto = require('crypto');
let done = 0;
for (let i = 0; i < 6; i++)
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => { if (++done === 6) console.log('done'); });
