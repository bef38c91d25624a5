-- The review and translation queues read the waiting letters in id order, whole or for one
-- prisoner. Partial indexes hold only the waiting letters, already in that order, so a page
-- of the queue is read without sorting the queue, and letters that have moved on cost
-- nothing here. The store writes the states literally, in this order, so that the planner
-- sees that a queue's query implies an index's condition (test: queue_plans in
-- lysty-store-sqlite's tests). The whole translation queue, one state, is already read in
-- order through letters_by_state (campaign_id, state, id).
CREATE INDEX letters_waiting_review ON letters (campaign_id, id)
    WHERE state IN ('received', 'in_review');
CREATE INDEX letters_waiting_review_by_prisoner ON letters (prisoner_id, id)
    WHERE state IN ('received', 'in_review');
CREATE INDEX letters_waiting_translation_by_prisoner ON letters (prisoner_id, id)
    WHERE state IN ('needs_translation');
