package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.web.ProblemException;
import io.micronaut.http.HttpStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A pipeline's stages in order, as the topic last described them. */
public record PipelineStages(String pipelineId, String name, List<Stage> stages) {

    public record Stage(String id, String name, int position, int probability, String phase) {
    }

    public static PipelineStages load(Connection c, String pipelineId) throws SQLException {
        String[] name = {null};
        Jdbc.query(c, "select name from pipeline_state where pipeline_id = ?", List.of(pipelineId), rs -> name[0] = rs.getString(1));
        if (name[0] == null) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "pipeline-not-found", "No pipeline with id " + pipelineId);
        }
        List<Stage> stages = new ArrayList<>();
        Jdbc.query(c, "select stage_id, name, position, probability, phase from pipeline_stage where pipeline_id = ? order by position",
                List.of(pipelineId), rs -> stages.add(new Stage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5))));
        return new PipelineStages(pipelineId, name[0], stages);
    }

    public Stage byId(String stageId) {
        return stages.stream().filter(s -> s.id().equals(stageId)).findFirst().orElse(null);
    }
}
