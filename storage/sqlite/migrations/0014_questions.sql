-- Custom questions: a salon's questions are a JSON list of
-- {"id", "label", "label_zh"?, "type", "options"?, "options_zh"?, "required"},
-- and a ticket's answers a JSON object of answers by question id, as given
-- when the RSVP was taken. Answers stay under their id when the question is
-- edited or removed; erasure empties them.
ALTER TABLE salons ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tickets ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
