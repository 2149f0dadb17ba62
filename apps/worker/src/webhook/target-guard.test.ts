import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { isPrivateAddress, refuseTarget } from './target-guard';
import { signWebhook, verifyWebhook } from './sign';

test('private, loopback, link-local and mapped addresses are private; public ones are not', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
    assert.ok(isPrivateAddress(a), a);
  }
  for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111']) assert.ok(!isPrivateAddress(a), a);
});

test('targets: loopback refused unless allowed; non-http schemes always refused', async () => {
  assert.match((await refuseTarget('http://127.0.0.1:8080/x', false)) ?? '', /private\/loopback/);
  assert.match((await refuseTarget('http://[::1]/x', false)) ?? '', /private\/loopback/);
  assert.equal(await refuseTarget('http://127.0.0.1:8080/x', true), null);
  assert.match((await refuseTarget('file:///etc/passwd', true)) ?? '', /scheme/);
});

test('signature: HMAC-SHA256 of "<timestamp>.<body>", hex, sha256= prefix', () => {
  const sig = signWebhook('secret', '1700000000', '{"a":1}');
  assert.equal(sig, 'sha256=' + createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex'));
  assert.ok(verifyWebhook('secret', '1700000000', '{"a":1}', sig));
  assert.ok(!verifyWebhook('secret', '1700000001', '{"a":1}', sig));
});
