// A round verified by phone: before the ballot, the resident proves a number with a
// 6-digit code sent by SMS. The page never shows the number back (only its last digits).
import { api, errorText, fmt, showMessage } from "/static/frontend/js/core.js";

// The server's own sentence (it names the limit reached or the attempts left).
export const said = (err) => (err && err.body && err.body.detail) || errorText(err);

export async function phoneVerified() {
  return (await api("/api/v1/participation/phone/")).verified;
}

export function phoneForm(round, message, onVerified) {
  const form = document.getElementById("phone-check");
  form.hidden = false;
  document.getElementById("send-code").onclick = async () => {
    try {
      const sent = await api("/api/v1/participation/phone/code/", { method: "POST", json: { round: round.slug, phone: form.elements.phone.value } });
      showMessage(message, fmt(gettext("A code was sent by SMS to the number ending in %(ending)s. It is valid for 10 minutes."), { ending: sent.ending }));
      form.elements.code.focus();
    } catch (err) {
      showMessage(message, said(err), "notice error");
    }
  };
  form.onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api("/api/v1/participation/phone/verify/", { method: "POST", json: { phone: form.elements.phone.value, code: form.elements.code.value.trim() } });
      form.hidden = true;
      showMessage(message, gettext("Your number is verified: you can vote."));
      onVerified();
    } catch (err) {
      showMessage(message, said(err), "notice error");
    }
  };
}
