import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { Layout } from "@web/search/layout";
import { firstCallBadge, formatHours, formatMoney, percent, useLiveRefresh } from "./workbench_utils";

/**
 * The team leader's board: each agent's progress against the daily minimum (R-CALL-5),
 * who is behind at the check time, today's leaderboard, the pool and tomorrow's
 * recycling, and the allocation preview waiting. Figures come from
 * `telesales.workbench.get_team_board(team_id)`.
 */
export class TelesalesTeamBoard extends Component {
    static template = "telesales_mgmt.TeamBoard";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.state = useState({
            data: null,
            error: false,
            teamId: this.props.action?.context?.active_team_id || false,
        });
        this.display = { controlPanel: {} };
        useLiveRefresh(() => this.load());
        onWillStart(() => this.load());
    }

    async load() {
        try {
            const data = await this.keepLast.add(
                this.orm.silent.call("telesales.workbench", "get_team_board", [], {
                    team_id: this.state.teamId || false,
                })
            );
            this.state.data = data;
            this.state.teamId = data.team?.id || false;
            this.state.error = false;
        } catch (error) {
            if (!this.state.data) {
                this.state.error =
                    error?.data?.message || error?.message || _t("The team board could not be loaded.");
            }
        }
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value) || false;
        await this.load();
    }

    // ------------------------------------------------------------------
    // Figures
    // ------------------------------------------------------------------

    get behindCount() {
        return (this.state.data?.agents || []).filter((agent) => agent.behind).length;
    }

    get summaryText() {
        const data = this.state.data;
        return _t("Now %(now)s · behind check at %(check)s · cut-off %(cutoff)s", {
            now: data.now,
            check: data.behind_check,
            cutoff: data.cutoff,
        });
    }

    get behindText() {
        return _t("%(count)s behind the minimum", { count: this.behindCount });
    }

    connectedPercent(agent) {
        return percent(agent.progress.connected, agent.progress.connected_due);
    }

    talkPercent(agent) {
        return percent(agent.progress.talk_hours, agent.progress.talk_hours_due);
    }

    connectedText(agent) {
        return _t("%(done)s / %(due)s connected", {
            done: agent.progress.connected,
            due: agent.progress.connected_due,
        });
    }

    talkText(agent) {
        return _t("%(done)s h / %(due)s h talk", {
            done: formatHours(agent.progress.talk_hours),
            due: formatHours(agent.progress.talk_hours_due),
        });
    }

    firstCall(check) {
        return firstCallBadge(check);
    }

    money(amount) {
        const data = this.state.data || {};
        return formatMoney(amount, data.currency_symbol, data.currency_position);
    }

    /** Today's leaderboard without the agents who have no deal yet. */
    get leaderboard() {
        return (this.state.data?.leaderboard || []).filter((line) => line.deals || line.amount);
    }

    dealsText(line) {
        return _t("%(count)s deals", { count: line.deals });
    }

    get poolText() {
        const pool = this.state.data?.pool || {};
        return _t("%(count)s leads in the pool", { count: pool.size || 0 });
    }

    get recycleText() {
        const pool = this.state.data?.pool || {};
        return _t("%(count)s go back to the pool tomorrow", { count: pool.recycle_tomorrow || 0 });
    }

    get previewText() {
        const preview = this.state.data?.allocation_preview;
        return preview ? _t("%(count)s leads planned", { count: preview.lead_count }) : "";
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    openAgentCalls(agent) {
        return this.action.doAction("telesales_mgmt.telesales_call_action_all", {
            additionalContext: { search_default_today: 1, search_default_user_id: agent.user_id },
        });
    }

    openPreview() {
        const preview = this.state.data?.allocation_preview;
        if (!preview) {
            return;
        }
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "telesales.allocation.run",
            res_id: preview.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openAllocate() {
        return this.action.doAction("telesales_mgmt.telesales_allocation_run_action_new");
    }

    openPool() {
        return this.action.doAction("telesales_mgmt.telesales_pool_lead_action");
    }
}

registry.category("actions").add("telesales_team_board", TelesalesTeamBoard);
