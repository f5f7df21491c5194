package io.dealflow.pipeline.imports;

/** The file as a whole cannot be read on (not UTF-8, no CSV header): the import stops with this reason. */
final class BrokenFile extends RuntimeException {

    BrokenFile(String reason) {
        super(reason, null, false, false);
    }
}
