from odoo import api, models

# Work items per batch of a cron: each batch is committed with its progress.
BATCH_SIZE = 200


class TelesalesCron(models.AbstractModel):
    """Batches for the crons that can touch thousands of records (issue 13): a run
    commits each batch with its progress (`ir.cron._commit_progress`) and stops when its
    time is up; Odoo then runs the cron again at once, and that run goes on with what is
    left.

    Resuming relies on each cron's work list: it holds only what still needs doing (an
    agent not judged yet, a lead still due, a draft not computed in this run), so a
    batch done leaves it and the next run starts with the rest. Each batch is
    idempotent: done twice, it changes nothing the second time."""

    _name = "telesales.cron"
    _description = "Telesales Cron Batches"

    @api.model
    def _from_cron(self):
        """Whether the caller is Odoo's cron machinery: only then are batches committed.
        A button, a test or another method calling the same code keeps its one
        transaction (as `crm_iap_enrich` does); this decides committing, never a right."""
        return bool(self.env.context.get("cron_id"))

    @api.model
    def _batches(self, items, batch_size=None, limit=None):
        """Yield `items` (a list or a recordset) in batches of `batch_size`. Run by the
        cron, each batch is committed once the caller is done with it, and the items left
        are reported as remaining; the loop ends when the run's time is up. `limit` stops
        after that many batches: a run cut short on purpose (tests, benches), which the
        next run resumes like a run out of time."""
        batch_size = batch_size or BATCH_SIZE
        from_cron = self._from_cron()
        total = len(items)
        for number, start in enumerate(range(0, total, batch_size)):
            if limit is not None and number >= limit:
                return
            batch = items[start:start + batch_size]
            yield batch
            left = total - start - len(batch)
            if from_cron and not self.env["ir.cron"]._commit_progress(len(batch), remaining=left):
                return
