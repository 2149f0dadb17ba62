import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ipv6Groups, isPrivateAddress, refuseUrl } from './target-guard';
import { signWebhook, verifyWebhook } from './sign';

test('private, loopback, link-local and mapped addresses are private; public ones are not', () => {
  const privates = [
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '0:0:0:0:0:0:0:1',
    'fd00::1',
    'fc12::9',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::FFFF:7F00:0001',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '::7f00:1',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    '2001:0:4136::1',
    'not-an-ip',
  ];
  for (const a of privates) assert.ok(isPrivateAddress(a), a);
  for (const a of [
    '8.8.8.8',
    '172.32.0.1',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:808:808',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])
    assert.ok(!isPrivateAddress(a), a);
  assert.deepEqual(ipv6Groups('::ffff:127.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  assert.equal(ipv6Groups('1::2::3'), null);
});

test('URLs: literal private addresses in every spelling refused unless allowed; other schemes and credentials always', () => {
  for (const u of [
    'http://127.0.0.1:8080/x',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0.0.0.0/',
    'http://[fe80::1]/',
  ]) {
    assert.match(refuseUrl(u, false) ?? '', /private\/loopback/, u);
  }
  assert.equal(refuseUrl('http://127.0.0.1:8080/x', true), null);
  assert.equal(refuseUrl('https://hooks.example.com/x', false), null, 'host names are checked at connect time');
  assert.match(refuseUrl('file:///etc/passwd', true) ?? '', /scheme/);
  assert.match(refuseUrl('https://user:pw@hooks.example.com/', true) ?? '', /credentials/);
});

test('signature: HMAC-SHA256 of "<timestamp>.<body>", hex, sha256= prefix', () => {
  const sig = signWebhook('secret', '1700000000', '{"a":1}');
  assert.equal(sig, 'sha256=' + createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex'));
  assert.ok(verifyWebhook('secret', '1700000000', '{"a":1}', sig));
  assert.ok(!verifyWebhook('secret', '1700000001', '{"a":1}', sig));
});
