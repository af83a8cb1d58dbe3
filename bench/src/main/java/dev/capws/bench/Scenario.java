package dev.capws.bench;

/** One kind of load and what it measures; see bench/README.md. */
interface Scenario {

  /** Runs the load; the result becomes the last line of stdout. */
  Result run() throws Exception;
}
