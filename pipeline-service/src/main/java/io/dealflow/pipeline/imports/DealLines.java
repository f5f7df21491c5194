package io.dealflow.pipeline.imports;

import java.io.Closeable;
import java.util.Iterator;

/** The deals of an import file, one {@link Line} per deal, in file order. */
interface DealLines extends Iterator<DealLines.Line>, Closeable {

    /** A deal read from line {@code number}, or why that line is not one ({@code deal} null, {@code error} set). */
    record Line(long number, ImportedDeal deal, String error) {

        static Line ok(long number, ImportedDeal deal) {
            return new Line(number, deal, null);
        }

        static Line refused(long number, String error) {
            return new Line(number, null, error);
        }
    }
}
