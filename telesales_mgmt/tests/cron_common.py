class CronBatchesMixin:
    """Checks for the crons that work in batches and resume (issue 13, `telesales.cron`):
    each cron is run in one go, in batches of two (several batches in one run), and cut
    short after its first batch (`limit=1`, what a run out of time does), then resumed
    by the next run; all end in the same state, and a further run changes nothing."""

    def _undone(self, run, snapshot):
        """`snapshot()` after `run()`; then everything `run` did is rolled back."""
        savepoint = self.env.cr.savepoint()
        try:
            run()
            return snapshot()
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)

    def _assert_resumes(self, run, snapshot, batch_size=2):
        """`run(batch_size=..., limit=...)` runs the cron; `snapshot()` is what it leaves,
        by value (records a run creates get other ids each time)."""
        before = snapshot()
        reference = self._undone(run, snapshot)
        self.assertNotEqual(reference, before, "the cron has work to do")
        self.assertEqual(self._undone(lambda: run(batch_size=batch_size), snapshot), reference,
                         "in batches: the same result as in one go")
        run(batch_size=batch_size, limit=1)
        partial = snapshot()
        self.assertNotEqual(partial, before, "the first batch is done")
        self.assertNotEqual(partial, reference, "and only the first: more batches are needed")
        run(batch_size=batch_size)
        self.assertEqual(snapshot(), reference, "the next run resumes with what is left")
        run(batch_size=batch_size)
        self.assertEqual(snapshot(), reference, "a further run changes nothing")

    def _trigger(self, xmlid, code):
        """Run the cron through Odoo's cron machinery with `code` (cut short on purpose):
        Odoo runs it again as long as it reports work left. Returns the progress rows
        of this run, one per call of the code."""
        cron = self.env.ref(xmlid)
        cron.code = code
        last = self.env["ir.cron.progress"].search([], order="id desc", limit=1).id or 0
        with self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "no error in the cron")
        return self.env["ir.cron.progress"].search([("cron_id", "=", cron.id), ("id", ">", last)], order="id")
