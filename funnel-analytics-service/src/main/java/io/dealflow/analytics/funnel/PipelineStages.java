package io.dealflow.analytics.funnel;

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
        List<Stage> stages = new ArrayList<>();
        // one round trip: every answer starts here
        Jdbc.query(c, "select p.name, s.stage_id, s.name, s.position, s.probability, s.phase from pipeline_state p"
                + " left join pipeline_stage s on s.pipeline_id = p.pipeline_id where p.pipeline_id = ? order by s.position", List.of(pipelineId), rs -> {
            name[0] = rs.getString(1);
            if (rs.getString(2) != null) {
                stages.add(new Stage(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6)));
            }
        });
        if (name[0] == null) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "pipeline-not-found", "No pipeline with id " + pipelineId);
        }
        return new PipelineStages(pipelineId, name[0], stages);
    }

    public Stage byId(String stageId) {
        return stages.stream().filter(s -> s.id().equals(stageId)).findFirst().orElse(null);
    }
}
