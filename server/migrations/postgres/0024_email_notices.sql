-- Each agent's choice of email notices about the collectivité's cases: each one as it comes ('chacun'), or one
-- daily digest ('quotidien'). A notice held for the digest waits in the outbox (held = 1) until the digest that
-- carries it is queued (digest_id: that digest's id in the outbox, no foreign key so that a restore may copy
-- the rows in any order); it is then never sent on its own.
ALTER TABLE agents ADD COLUMN notices TEXT NOT NULL DEFAULT 'chacun';
ALTER TABLE outbox ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN digest_id BIGINT;
CREATE INDEX outbox_held ON outbox(recipient) WHERE held = 1 AND digest_id IS NULL;
