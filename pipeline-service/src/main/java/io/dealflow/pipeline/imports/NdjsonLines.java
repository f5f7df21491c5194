package io.dealflow.pipeline.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/** NDJSON: one JSON object per line (UTF-8); blank lines are skipped, any other line is a deal or a refusal. */
final class NdjsonLines implements DealLines {

    private final BufferedReader reader;
    private final ObjectReader json;
    private long number;
    private Line next;

    NdjsonLines(InputStream in, ObjectReader json) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        this.json = json.forType(ImportedDeal.class);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            String text;
            do {
                text = reader.readLine();
                if (text == null) {
                    return false;
                }
                number++;
            } while (text.isBlank());
            next = parse(number, text);
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BrokenFile("line " + (number + 1) + " is not UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line line = next;
        next = null;
        return line;
    }

    private Line parse(long number, String text) {
        try {
            ImportedDeal deal = json.readValue(text);
            return deal == null ? Line.refused(number, "not a JSON object") : Line.ok(number, deal);
        } catch (UnrecognizedPropertyException e) {
            return Line.refused(number, "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonProcessingException e) {
            return Line.refused(number, "not a deal: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
