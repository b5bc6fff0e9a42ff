// Assertions that wait for their condition. `eventually(check)` runs `check` — a function that reads the page
// and asserts — again and again until it passes, and fails with its last error when `timeout` ms have gone
// by. Every assertion about a page in www/tests goes through it or through a Playwright wait
// (waitForSelector, waitForFunction, locator.waitFor), never straight after a click or a key press: on a
// busy machine the page may not have caught up yet, and a test must then be slower, not red.

export const T = 15000; // how long one UI expectation may take

export async function eventually(check, timeout = T) {
  const end = Date.now() + timeout;
  let pause = 10;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() >= end) throw e;
      // Poll again soon (the pause grows to 200 ms): the condition decides when the test goes on.
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 200);
    }
  }
}
