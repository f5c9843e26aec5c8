import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { Layout } from "@web/search/layout";
import {
    firstCallBadge,
    formatHours,
    formatMinutesLeft,
    formatMoney,
    formatWhen,
    gradeClass,
    percent,
    useLiveRefresh,
} from "./workbench_utils";

/**
 * The agent's home in the Telesales app: today's progress against the daily minimum
 * (R-CALL-5), the call queue, and the cards around it. Figures come from
 * `telesales.workbench.get_my_day()`; they refresh on the bus notification
 * "telesales_progress" (debounced) and every minute for the clock.
 */
export class TelesalesMyDay extends Component {
    static template = "telesales_mgmt.MyDay";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.state = useState({ data: null, error: false, loading: true });
        this.display = { controlPanel: {} };
        useLiveRefresh(() => this.load());
        onWillStart(() => this.load());
    }

    async load() {
        try {
            const data = await this.keepLast.add(this.orm.silent.call("telesales.workbench", "get_my_day", []));
            this.state.data = data;
            this.state.error = false;
        } catch (error) {
            // A refresh that fails (connection lost) keeps the figures on screen.
            if (!this.state.data) {
                this.state.error = error?.data?.message || error?.message || _t("My Day could not be loaded.");
            }
        } finally {
            this.state.loading = false;
        }
    }

    // ------------------------------------------------------------------
    // Figures
    // ------------------------------------------------------------------

    get progress() {
        return this.state.data?.progress || {};
    }

    get connectedPercent() {
        return percent(this.progress.connected, this.progress.connected_due);
    }

    get talkPercent() {
        return percent(this.progress.talk_hours, this.progress.talk_hours_due);
    }

    get talkText() {
        return _t("%(done)s h / %(due)s h", {
            done: formatHours(this.progress.talk_hours),
            due: formatHours(this.progress.talk_hours_due),
        });
    }

    get morning() {
        return firstCallBadge(this.progress.morning);
    }

    get afternoon() {
        return firstCallBadge(this.progress.afternoon);
    }

    get timeLeft() {
        const data = this.state.data;
        if (!data) {
            return "";
        }
        if (!data.is_workday) {
            return _t("Not a working day for you: the daily minimum is not judged today.");
        }
        const left = formatMinutesLeft(this.progress.minutes_left);
        if (!left) {
            return _t("Cut-off %(time)s passed", { time: this.progress.cutoff });
        }
        return _t("%(left)s until the cut-off at %(time)s", { left, time: this.progress.cutoff });
    }

    /** Whether the agent is on course for the minimum at this time of the calling day. */
    get paceText() {
        const progress = this.progress;
        if (!this.state.data?.is_workday || progress.met || !progress.expected) {
            return "";
        }
        if (progress.on_course) {
            return _t("On course for the minimum");
        }
        return _t("Behind: %(connected)s connected calls and %(talk)s h of talk expected by now", {
            connected: progress.expected.connected,
            talk: formatHours(progress.expected.talk_hours),
        });
    }

    get groups() {
        const groups = [];
        const byKey = {};
        for (const row of this.state.data?.queue || []) {
            if (!byKey[row.group]) {
                byKey[row.group] = { key: row.group, label: row.group_label, rows: [] };
                groups.push(byKey[row.group]);
            }
            byKey[row.group].rows.push(row);
        }
        return groups;
    }

    groupClass(key) {
        return { overdue: "text-danger", due: "text-warning", new: "text-primary" }[key] || "text-muted";
    }

    gradeClass(grade) {
        return gradeClass(grade);
    }

    when(value) {
        return formatWhen(value, this.state.data?.today);
    }

    attemptsText(count) {
        return _t("Attempts without progress: %(count)s", { count });
    }

    get callLabel() {
        return this.state.data?.cti_enabled ? _t("Call") : _t("Log a Call");
    }

    money(amount) {
        const month = this.state.data?.month || {};
        return formatMoney(amount, month.currency_symbol, month.currency_position);
    }

    get monthPercent() {
        const month = this.state.data?.month || {};
        return percent(month.sales, month.target);
    }

    get monthAchievementText() {
        const month = this.state.data?.month || {};
        return _t("%(percent)s of the target", { percent: `${formatHours(month.achievement || 0)}\u00a0%` });
    }

    get nextTierText() {
        const tier = this.state.data?.month?.next_tier;
        return tier ? _t("%(amount)s more sales to reach %(tier)s", { amount: this.money(tier.needs), tier: tier.label }) : "";
    }

    get countsText() {
        const progress = this.progress;
        return _t("Dialled %(dialled)s · effective %(effective)s · deals %(deals)s", {
            dialled: progress.dialled || 0,
            effective: progress.effective || 0,
            deals: progress.deals || 0,
        });
    }

    get queueCountText() {
        return _t("%(count)s leads", { count: this.state.data?.queue?.length || 0 });
    }

    get poolSizeText() {
        return _t("%(count)s leads waiting in the pool", { count: this.state.data?.pool?.size || 0 });
    }

    followupText(value) {
        return _t("Follow-up %(when)s", { when: this.when(value) });
    }

    dueText(value) {
        return _t("due %(when)s", { when: this.when(value) });
    }

    get poolText() {
        const pool = this.state.data?.pool || {};
        return _t("%(left)s of %(limit)s claims left today", {
            left: pool.claims_left || 0,
            limit: pool.claims_limit || 0,
        });
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    openRecord(resModel, resId) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openLead(row) {
        return this.openRecord("crm.lead", row.lead_id);
    }

    async callLead(row) {
        const method = this.state.data?.cti_enabled ? "action_telesales_dial" : "action_telesales_log_call";
        const result = await this.orm.call("crm.lead", method, [[row.lead_id]]);
        if (result && typeof result === "object") {
            // Not awaited: the action service awaits onClose before it removes the dialog,
            // and a newer refresh (the bus) supersedes this one, whose promise then never
            // settles.
            await this.action.doAction(result, {
                onClose: () => {
                    this.load();
                },
            });
        } else {
            await this.load();
        }
    }

    openPool() {
        return this.action.doAction("telesales_mgmt.telesales_pool_lead_action");
    }

    openStatements() {
        return this.action.doAction("telesales_mgmt.telesales_commission_statement_action");
    }
}

registry.category("actions").add("telesales_my_day", TelesalesMyDay);
