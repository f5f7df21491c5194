package io.dealflow.pipeline.pipeline.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Pipelines;
import io.dealflow.pipeline.pipeline.Stage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The pipeline read model: what deals are validated against and what the pipeline endpoints return. */
@Component
public class PipelineCatalog implements Pipelines {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public PipelineCatalog(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Every command validates against its pipeline: definitions are read at most once per {@link #FRESH_FOR}. */
    private static final long FRESH_FOR = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private record Cached(PipelineView view, long readAt) {
    }

    private final java.util.concurrent.ConcurrentMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Optional<PipelineView> find(String pipelineId) {
        Cached cached = cache.get(pipelineId);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < FRESH_FOR) {
            return Optional.of(cached.view());
        }
        Optional<PipelineView> view = select(pipelineId);
        view.ifPresent(v -> cache.put(pipelineId, new Cached(v, now)));
        return view;
    }

    private Optional<PipelineView> select(String pipelineId) {
        return jdbc.query("select pipeline_id, name, definition, version from pipeline_view where pipeline_id = ?",
                mapper(), pipelineId).stream().findFirst();
    }

    public List<PipelineView> all() {
        return jdbc.query("select pipeline_id, name, definition, version from pipeline_view order by defined_at, pipeline_id",
                mapper());
    }

    void save(String pipelineId, String name, List<Stage> stages, List<String> lostReasons, Instant at, long version) {
        cache.remove(pipelineId);
        String definition = write(new Definition(stages, lostReasons));
        int updated = jdbc.update("update pipeline_view set name = ?, definition = ?, version = ? where pipeline_id = ?",
                name, definition, version, pipelineId);
        if (updated == 0) {
            jdbc.update("insert into pipeline_view (pipeline_id, name, definition, version, defined_at) values (?, ?, ?, ?, ?)",
                    pipelineId, name, definition, version, Timestamp.from(at));
        }
    }

    private RowMapper<PipelineView> mapper() {
        return (rs, i) -> {
            Definition d = read(rs.getString("definition"));
            return new PipelineView(rs.getString("pipeline_id"), rs.getString("name"), d.stages(),
                    d.lostReasons(), rs.getLong("version"));
        };
    }

    private String write(Definition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Definition read(String text) {
        try {
            return json.readValue(text, Definition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable pipeline definition", e);
        }
    }

    record Definition(List<Stage> stages, List<String> lostReasons) {
    }

}
