-- Request counters are written by every request on PostgreSQL (010): as a logged table each count
-- was a WAL record and a commit waiting for the disk, the same fsync a save waits for, once per
-- request. Unlogged, a count is still one atomic upsert that every process sees (the limits hold
-- across processes as before); what is given up is only that the counters outlive a crash of the
-- database server (after one they start again from zero, as after the window's end) and that a
-- standby has them. A clean restart keeps them.
ALTER TABLE rate_limits SET UNLOGGED;
