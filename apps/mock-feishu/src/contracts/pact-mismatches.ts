/** One line per broken expectation ("<interaction>: <path> <why>") out of the verifier's JSON report. */
export function mismatchesOf(error: Error): string[] {
  let report: {
    errors?: { interaction: string; mismatch: { mismatches?: { path?: string; mismatch: string }[] } }[];
  };
  try {
    report = JSON.parse(error.message);
  } catch {
    return [error.message];
  }
  return (report.errors ?? []).flatMap(({ interaction, mismatch }) =>
    (mismatch.mismatches ?? [{ mismatch: JSON.stringify(mismatch) }]).map(
      (each) => `${interaction}: ${each.path ? `${each.path} ` : ''}${each.mismatch}`,
    ),
  );
}
