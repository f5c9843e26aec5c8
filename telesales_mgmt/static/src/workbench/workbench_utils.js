import { onWillUnmount } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { useDebounced } from "@web/core/utils/timing";

const { DateTime } = luxon;

/** Shared formatting for My Day and the Team board (figures come from telesales.workbench). */

export const REFRESH_MS = 60000;
export const BUS_DEBOUNCE_MS = 1000;

/**
 * Calls `load` again when a call changes someone's progress ("telesales_progress" on
 * Odoo's bus, debounced: a burst of calls is one refresh) and every minute for the clock.
 */
export function useLiveRefresh(load) {
    const busService = useService("bus_service");
    const debouncedLoad = useDebounced(load, BUS_DEBOUNCE_MS);
    const onProgress = () => debouncedLoad();
    busService.subscribe("telesales_progress", onProgress);
    const interval = setInterval(load, REFRESH_MS);
    onWillUnmount(() => {
        clearInterval(interval);
        busService.unsubscribe("telesales_progress", onProgress);
    });
}

export function percent(value, due) {
    if (!due || due <= 0) {
        return value > 0 ? 100 : 0;
    }
    return Math.max(0, Math.min(100, Math.round((100 * value) / due)));
}

export function formatHours(hours) {
    return formatFloat(hours || 0, { digits: [16, 1] });
}

export function formatMoney(amount, symbol, position) {
    const number = formatFloat(amount || 0, { digits: [16, 0] });
    if (!symbol) {
        return number;
    }
    return position === "after" ? `${number}\u00a0${symbol}` : `${symbol}\u00a0${number}`;
}

/** "2 h 15 min left" / "45 min left" / "" when nothing is left. */
export function formatMinutesLeft(minutes) {
    if (!minutes || minutes <= 0) {
        return "";
    }
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (!hours) {
        return _t("%(minutes)s min left", { minutes: rest });
    }
    return _t("%(hours)s h %(minutes)s min left", { hours, minutes: rest });
}

/** A "YYYY-MM-DD HH:MM" of the user's time zone, relative to `today` ("YYYY-MM-DD"). */
export function formatWhen(value, today) {
    if (!value) {
        return "";
    }
    const [day, time] = value.split(" ");
    if (day === today) {
        return time ? _t("Today %(time)s", { time }) : _t("Today");
    }
    const date = DateTime.fromISO(day);
    const todayDate = DateTime.fromISO(today);
    if (date.isValid && todayDate.isValid) {
        const diff = Math.round(date.diff(todayDate, "days").days);
        if (diff === 1) {
            return time ? _t("Tomorrow %(time)s", { time }) : _t("Tomorrow");
        }
        if (diff === -1) {
            return time ? _t("Yesterday %(time)s", { time }) : _t("Yesterday");
        }
        const label = date.toLocaleString({ month: "short", day: "numeric" });
        return time ? `${label} ${time}` : label;
    }
    return value;
}

/** Badge class and text of the first-call checks ("met" / "missed" / "open"). */
export function firstCallBadge(check) {
    if (!check) {
        return { cls: "text-bg-light", text: "" };
    }
    if (check.state === "met") {
        return { cls: "text-bg-success", text: _t("Met (%(time)s)", { time: check.first }) };
    }
    if (check.state === "missed") {
        return {
            cls: "text-bg-danger",
            text: check.first ? _t("Missed (%(time)s)", { time: check.first }) : _t("Missed"),
        };
    }
    return { cls: "text-bg-light", text: _t("Before %(time)s", { time: check.due }) };
}

export function gradeClass(grade) {
    return { a: "text-bg-success", b: "text-bg-info", c: "text-bg-secondary" }[grade] || "text-bg-light";
}
