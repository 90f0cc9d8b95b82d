// Prints jest's totals as one plain line (`jest: N passed, N failed`) that .ci/run adds to the end-to-end counts.
class CountingReporter {
	onRunComplete(_contexts, results) {
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		process.stdout.write(`jest: ${results.numPassedTests} passed, ${failed} failed\n`);
	}
}

module.exports = CountingReporter;
