import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * The phone system's events on the agent's screen: a ringing call pops up with the lead
 * or customer, and the hang-up opens "Log a Call" on the same call record.
 */
export const telesalesCtiService = {
    dependencies: ["bus_service", "notification", "action", "orm"],

    start(env, { bus_service, notification, action, orm }) {
        bus_service.subscribe("telesales_cti_ringing", ({ call_id, title, number, direction, res_model, res_id }) => {
            const close = notification.add(number || "", {
                title: direction === "inbound" ? _t("Incoming call: %s", title) : _t("Calling %s", title),
                type: "info",
                sticky: true,
                buttons: [{
                    name: _t("Open Record"),
                    primary: true,
                    onClick: () => {
                        close();
                        action.doAction({
                            type: "ir.actions.act_window",
                            res_model,
                            res_id,
                            views: [[false, "form"]],
                            target: "current",
                        });
                    },
                }],
            });
        });
        bus_service.subscribe("telesales_cti_hangup", async ({ call_id }) => {
            const logAction = await orm.call("telesales.call", "action_telesales_log", [[call_id]]);
            if (logAction) {
                action.doAction(logAction);
            }
        });
    },
};

registry.category("services").add("telesales_cti", telesalesCtiService);
