import { registry } from "@web/core/registry";

const { DateTime } = luxon;

/** An agent on a phone (390 × 844) works the queue of My Day: sees today's progress,
 * opens Log a Call on the first callable row (phone system off), logs a connected call,
 * and the connected count rises. Starts on the My Day action. */
registry.category("web_tour.tours").add("telesales_my_day_tour", {
    steps: () => {
        let connectedBefore = null;
        let leadId = null;
        // Follow-up tomorrow at 10:00, typed in the user's date format (en_US in the test).
        const planDate = DateTime.now().plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0 });
        return [
            {
                content: "My Day shows today's progress",
                trigger: ".o_telesales_my_day .o_ts_progress_connected[data-connected]",
                run() {
                    connectedBefore = parseInt(this.anchor.dataset.connected);
                },
            },
            {
                content: "Talk time, first calls and the time left to the cut-off are there",
                trigger: ".o_telesales_my_day:has(.o_ts_progress_talk .progress):has(.o_ts_progress_morning .badge):has(.o_ts_progress_afternoon .badge):has(.o_ts_time_left)",
            },
            {
                content: "The cards are there",
                trigger: ".o_telesales_my_day:has(.o_ts_card_pool):has(.o_ts_card_recycle):has(.o_ts_card_month):has(.o_ts_card_complaints):has(.o_ts_card_coaching):has(.o_ts_card_appraisal)",
            },
            {
                content: "The page fits the phone: no horizontal scroll",
                trigger: ".o_telesales_my_day .o_ts_queue_row",
                run() {
                    const root = document.querySelector(".o_telesales_my_day .o_content");
                    if (root.scrollWidth > root.clientWidth + 1 || document.documentElement.scrollWidth > window.innerWidth + 1) {
                        throw new Error(`My Day scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
                    }
                },
            },
            {
                content: "A blocked row offers no call button",
                trigger: ".o_telesales_my_day .o_ts_queue_row:has(.o_ts_queue_blocked):not(:has(.o_ts_queue_call))",
            },
            {
                content: "Log a Call on the first callable row of the queue",
                trigger: ".o_telesales_my_day .o_ts_queue_row .o_ts_queue_call",
                run(helpers) {
                    leadId = this.anchor.closest(".o_ts_queue_row").dataset.leadId;
                    return helpers.click();
                },
            },
            {
                content: "Log a Call opens on that lead",
                trigger: ".modal .o_form_view .o_field_widget[name='lead_id']",
            },
            {
                content: "Outcome: an effective conversation",
                trigger: ".modal .o_field_widget[name='outcome'] .o_selection_badge[value='\"effective\"']",
                run: "click",
            },
            {
                content: "Talk time: three minutes (typed as minutes:seconds)",
                trigger: ".modal .o_field_widget[name='talk_time'] input, .modal .o_field_widget[name='talk_seconds'] input",
                run(helpers) {
                    const name = this.anchor.closest(".o_field_widget").getAttribute("name");
                    return helpers.edit(name === "talk_time" ? "3:00" : "180");
                },
            },
            {
                content: "Follow-up on",
                trigger: ".modal .o_field_widget[name='plan_date'] input",
                run: `edit ${planDate.toFormat("MM/dd/yyyy HH:mm:ss")}`,
            },
            {
                content: "Follow-up goal",
                trigger: ".modal .o_field_widget[name='plan_goal'] input",
                run: "edit Send the quotation",
            },
            {
                content: "Save the call",
                trigger: ".modal .modal-footer button.btn-primary:enabled:visible",
                run: "click",
            },
            {
                content: "The dialog closes",
                trigger: "body:not(:has(.modal))",
            },
            {
                content: "The connected count rose by one",
                trigger: ".o_telesales_my_day .o_ts_progress_connected[data-connected]",
                async run() {
                    // My Day reloads when the dialog closes: wait for the new figures.
                    const selector = ".o_telesales_my_day .o_ts_progress_connected[data-connected]";
                    let now = null;
                    for (let tries = 0; tries < 100; tries++) {
                        now = parseInt(document.querySelector(selector).dataset.connected);
                        if (now !== connectedBefore) {
                            break;
                        }
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    if (now !== connectedBefore + 1) {
                        throw new Error(`Connected calls: ${connectedBefore} before, ${now} after (lead ${leadId})`);
                    }
                },
            },
        ];
    },
});
