/** The closing line of a counted or flood ping (printed at the end, or by ^C). */
export function pingSummary(fg: { readonly guest: number; readonly sent: number; readonly received: number }): string {
  const loss = fg.sent === 0 ? 0 : Math.round((100 * (fg.sent - fg.received)) / fg.sent);
  return `--- guest ${fg.guest} ping: ${fg.sent} transmitted, ${fg.received} received, ${loss}% loss`;
}
