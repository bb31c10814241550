import { expect, inject, it } from 'vitest';

it('reaches the chat and trainer servers the global setup started on 127.0.0.1', async () => {
  const chat = inject('chatServerUrl');
  expect(chat).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const models = (await (await fetch(`${chat}/models`)).json()) as { data: { id: string }[] };
  expect(models.data.map((m) => m.id)).toEqual(['test-model']);
  const reply = await fetch(`${chat}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', messages: [{ role: 'system', content: 'Rate the answer; end with Score: N' }, { role: 'user', content: 'Passage' }] }),
  });
  const body = (await reply.json()) as { choices: { message: { content: string } }[] };
  expect(body.choices[0]?.message.content).toMatch(/\nScore: [1-5]$/);
  expect(inject('trainerServerUrl')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
