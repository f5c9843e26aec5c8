import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** An HTML5 player for a call's recording (a URL, or the file kept in Odoo). */
export class RecordingPlayer extends Component {
    static template = "telesales_mgmt.RecordingPlayer";
    static props = { ...standardFieldProps };

    get src() {
        return this.props.record.data[this.props.name] || "";
    }
}

registry.category("fields").add("telesales_recording_player", {
    component: RecordingPlayer,
    supportedTypes: ["char"],
});
