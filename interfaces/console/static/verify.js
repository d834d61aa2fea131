// The chain verify of the overview page: the log is checked in slices, one request each, so
// the page can show how far it got. Every slice is the API's verify over [from, to].
"use strict";
(function () {
  const SLICE = 2000;
  const button = document.getElementById("verify");
  if (!button) return;
  const box = document.getElementById("verify-progress");
  const bar = document.getElementById("verify-bar");
  const status = document.getElementById("verify-status");
  const state = document.querySelector("[data-chain-state]");
  const hash = document.querySelector("[data-head-hash]");

  function say(text) { status.textContent = text; }

  async function slice(first, last) {
    const url = "/console/chain/verify?from=" + first + "&to=" + last;
    const answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    return answer.json();
  }

  button.addEventListener("click", async function () {
    const head = parseInt(button.dataset.head, 10) || 0;
    button.disabled = true;
    box.hidden = false;
    bar.max = Math.max(head, 1);
    bar.value = 0;
    let verified = 0;
    let lastHash = null;
    try {
      for (let first = 1; first <= head; first += SLICE) {
        const last = Math.min(first + SLICE - 1, head);
        const found = await slice(first, last);
        if (!found.ok) {
          state.textContent = "MISMATCH at position " + found.first_mismatch_position;
          say("Verify failed: the chain differs at position " + found.first_mismatch_position + " · 校验失败");
          return;
        }
        verified = last;
        lastHash = found.head_hash || lastHash;
        bar.value = verified;
        say("Verified " + verified + " of " + head + " · 已校验 " + verified + " / " + head);
      }
      state.textContent = "OK — verified up to " + verified + " · 已校验至 " + verified;
      if (lastHash) hash.textContent = lastHash;
      say("Verify complete: " + verified + " events, chain intact · 校验完成，审计链完整");
    } catch (error) {
      say("Verify stopped: " + error.message + " · 校验中断");
    } finally {
      button.disabled = false;
    }
  });
})();
