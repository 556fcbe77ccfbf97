import type { Random } from '@lumen/testkit';

import type { PromptTopic } from './catalog.js';

/** A question and an answer of the kind each application sees; {n} is replaced by a number. */
type Exchange = readonly [prompt: string, response: string];

const EXCHANGES: Record<PromptTopic, readonly Exchange[]> = {
  support: [
    [
      'Where is my order #{n}? It was supposed to arrive yesterday.',
      'I checked order #{n}: it left our warehouse this morning and the carrier expects to deliver it tomorrow before 6 pm. You will get a tracking link by email.',
    ],
    [
      'How do I reset my password? The reset email never arrives.',
      'Sorry about that. Reset emails can land in the spam folder; if it is not there, I have just sent a new one to the address on file. The link is valid for 30 minutes.',
    ],
    [
      'Can I change the shipping address for order #{n}?',
      'Yes, order #{n} has not shipped yet, so I can change it. Which address should we use instead?',
    ],
    [
      'I was charged twice for my subscription this month.',
      'I can see two charges on the 3rd. The second one is a pending authorisation that will drop off within 3–5 business days; you were billed only once.',
    ],
    [
      'Do you ship to Canada, and how much does it cost?',
      'We do. Standard shipping to Canada is $9.90 and takes 5–8 business days; orders over $75 ship free.',
    ],
    [
      'Cancel my plan please',
      'I can help with that. Before I cancel: you have 12 days left in this billing period, and your data is kept for 30 days after cancellation. Shall I go ahead?',
    ],
  ],
  zhSupport: [
    ['我的订单 {n} 什么时候发货？', '您好，订单 {n} 已于今天上午从杭州仓发出，预计 2 天内送达，物流信息已通过短信发送给您。'],
    [
      '如何申请退款？',
      '您可以在“我的订单”中选择对应订单，点击“申请售后”并选择“仅退款”或“退货退款”，审核通过后款项将在 1–3 个工作日内原路退回。',
    ],
    ['会员自动续费怎么取消？', '请进入“我的 > 设置 > 会员管理”，关闭“自动续费”即可。取消后当前会员权益仍可使用至到期日。'],
    [
      '发票可以开增值税专用发票吗？',
      '可以。请在订单详情页点击“申请发票”，选择“增值税专用发票”，并填写公司名称、税号、开户行及账号等信息。',
    ],
    ['收到的商品有破损，怎么办？', '非常抱歉给您带来不便。请在签收后 48 小时内拍照上传破损情况，我们会为您优先安排补发或退款。'],
  ],
  code: [
    [
      'Refactor this function to use async/await and add error handling:\n\nfunction load(id, cb) {\n  db.get(id, (err, row) => {\n    if (err) return cb(err);\n    cb(null, transform(row));\n  });\n}',
      'Here is an async version that keeps the same behaviour and surfaces errors:\n\nasync function load(id) {\n  const row = await db.get(id);\n  if (!row) throw new NotFoundError(`row ${id}`);\n  return transform(row);\n}\n\nCallers that used the callback can wrap it with util.callbackify(load) while they migrate.',
    ],
    [
      'Why does this test fail only in CI?\n\nexpect(formatDate(new Date(2024, 0, 1))).toBe("01/01/2024")',
      "The test builds a local date and formats it with the machine's timezone. CI runs in UTC while your laptop does not, so the formatted day can differ. Pass an explicit timeZone to Intl.DateTimeFormat or build the date with Date.UTC.",
    ],
    [
      'Write a SQL migration that adds a nullable "archived_at" column to projects with an index.',
      'ALTER TABLE projects ADD COLUMN archived_at timestamptz;\nCREATE INDEX CONCURRENTLY projects_archived_at_idx ON projects (archived_at) WHERE archived_at IS NOT NULL;\n\nCONCURRENTLY avoids locking writes; run it outside a transaction.',
    ],
    [
      'Explain what this regex matches: ^(?:[a-z0-9-]+\\.)+[a-z]{2,}$',
      'It matches a lower-case domain name: one or more labels of letters, digits or hyphens, each followed by a dot, and then a top-level domain of at least two letters, such as api.example.com.',
    ],
    [
      'Add a retry with exponential backoff to this fetch call.',
      'Wrap the call in a loop that waits 2^attempt × 200 ms (plus jitter) between attempts, retries only on network errors and 429/5xx, and gives up after 5 attempts, rethrowing the last error.',
    ],
  ],
  summary: [
    [
      'Summarise the following support ticket thread in three bullet points for the account manager:\n\n{doc}',
      '• The customer reports intermittent 502 errors on the checkout API since the 12th.\n• Engineering traced it to a connection-pool limit and deployed a fix on the 14th.\n• The customer asks for a service credit; the account manager should follow up.',
    ],
    [
      'Extract the parties, the term and the termination clause from this contract:\n\n{doc}',
      "Parties: Acme Corp. and Northwind Ltd. Term: 24 months from 1 March. Termination: either party may terminate with 60 days' written notice, or at once for material breach not cured within 30 days.",
    ],
    [
      'Write a one-paragraph summary of this incident report:\n\n{doc}',
      'On Tuesday a configuration change raised the database connection limit beyond what the proxy allowed, causing 18 minutes of failed logins. The change was rolled back and a validation step now checks limits before deploy.',
    ],
  ],
  sql: [
    [
      'Top 10 customers by revenue in Q3, with their country.',
      "SELECT c.name, c.country, SUM(o.total) AS revenue\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.created_at >= '2025-07-01' AND o.created_at < '2025-10-01'\nGROUP BY c.id\nORDER BY revenue DESC\nLIMIT 10;",
    ],
    [
      'Monthly active users for the last 6 months.',
      "SELECT date_trunc('month', ts) AS month, COUNT(DISTINCT user_id) AS mau\nFROM events WHERE ts >= now() - interval '6 months'\nGROUP BY 1 ORDER BY 1;",
    ],
    [
      'Which products were never ordered?',
      'SELECT p.id, p.name FROM products p\nWHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = p.id);',
    ],
    [
      'Average delivery time per carrier, slowest first.',
      'SELECT carrier, AVG(delivered_at - shipped_at) AS avg_delivery\nFROM shipments WHERE delivered_at IS NOT NULL\nGROUP BY carrier ORDER BY avg_delivery DESC;',
    ],
  ],
};

const DOCUMENT_LINES = [
  'Ticket #{n} opened by the customer at 09:12: checkout requests fail with HTTP 502 about once every twenty attempts.',
  'Engineering note: the upstream pool reports "too many connections" during the spikes; raising max_connections is under review.',
  'The customer confirms the errors stop after the deploy of build 2025.10.14-3 and asks about the SLA credit.',
  'Clause 7.2: Either party may terminate this Agreement upon sixty (60) days prior written notice to the other party.',
  'Timeline: 14:02 deploy started; 14:05 login error rate above 40%; 14:19 rollback complete; 14:23 error rate back to baseline.',
];

/** A document of about `lines` lines, for summarising; a few are longer than Lumen stores. */
function document(random: Random, lines: number): string {
  return Array.from({ length: lines }, () => random.pick(DOCUMENT_LINES).replaceAll('{n}', String(random.int(10_000, 99_999)))).join('\n');
}

export function exchangeFor(topic: PromptTopic, random: Random): { prompt: string; response: string } {
  const [prompt, response] = random.pick(EXCHANGES[topic]);
  const n = String(random.int(100_000, 999_999));
  // About one summary in 150 sends a document longer than LOG_CONTENT_MAX_BYTES (32 KiB): it is stored truncated.
  const doc = topic === 'summary' ? document(random, random.chance(1 / 150) ? 400 : random.int(4, 14)) : '';
  return { prompt: prompt.replaceAll('{n}', n).replace('{doc}', doc), response: response.replaceAll('{n}', n) };
}

export function embeddingInput(topic: PromptTopic, random: Random): string {
  return exchangeFor(topic, random).prompt;
}
