-- The public dashboard and the budget views sum the transfers that release unspent voucher
-- money (code 'release'). Usage postings fill ledger_transfers by the hundred thousand, so that
-- sum scanned the whole table (1.2-1.5 s at 4,185,000 usage records). A partial index holds only
-- the release transfers, keyed by the voucher account they debit (the per-voucher sum uses it
-- too).
CREATE INDEX IF NOT EXISTS ledger_transfers_release ON ledger_transfers (debit) WHERE code = 'release';
