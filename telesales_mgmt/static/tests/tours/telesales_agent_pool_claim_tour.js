import { registry } from "@web/core/registry";

/** A live agent on a phone claims a lead from the pool (公海): its number shows masked
 * until the lead is theirs (R-LEAD-6). Starts on the Lead Pool action. */
registry.category("web_tour.tours").add("telesales_agent_pool_claim_tour", {
    steps: () => [
        {
            content: "On a phone the pool shows cards; the number is masked",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Pool Lead'):contains('138****5678')",
        },
        {
            content: "The full number is nowhere on the screen",
            trigger: ".o_kanban_view:not(:contains('13812345678')):not(:contains('1234'))",
        },
        {
            content: "Claim it",
            trigger: ".o_kanban_record:contains('Tour Pool Lead') button[name='action_claim']",
            run: "click",
        },
        {
            content: "The lead opens, now the agent's, with its full number",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Tour Pool Lead'), .o_form_view .o_field_widget[name='name'] :value('Tour Pool Lead')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='phone'] input:value('13812345678'), .o_form_view .o_field_widget[name='phone']:contains('13812345678')",
        },
    ],
});
