package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.DealStatus;
import io.dealflow.pipeline.pipeline.StageOccupancy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/** The deal_view table: one row per deal, kept current by {@link DealViewProjection}. */
@Component
public class DealViews implements StageOccupancy {

    static final RowMapper<DealView> ROW = DealViews::map;
    private final JdbcTemplate jdbc;

    public DealViews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DealView> find(String dealId) {
        return jdbc.query("select * from deal_view where deal_id = ?", ROW, dealId).stream().findFirst();
    }

    public List<DealView> query(String sql, Object... args) {
        return jdbc.query(sql, ROW, args);
    }

    @Override
    public long dealsIn(String pipelineId, String stageId) {
        Long count = jdbc.queryForObject("select count(*) from deal_view where pipeline_id = ? and stage_id = ?",
                Long.class, pipelineId, stageId);
        return count == null ? 0 : count;
    }

    void insert(DealCreated e, long version) {
        Timestamp at = Timestamp.from(e.occurredAt());
        jdbc.update("""
                insert into deal_view (deal_id, pipeline_id, title, amount, currency, owner_id, source, expected_close_date,
                    company, contact, stage_id, status, created_at, updated_at, stage_entered_at, version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?)""",
                e.dealId(), e.pipelineId(), e.title(), e.amount().value(), e.amount().currency(), e.ownerId(), e.source(),
                date(e.expectedCloseDate()), e.company(), e.contact(), e.stage().id(), at, at, at, version);
    }

    /** Stores finished views in one batch: the deals of an imported history, each as its last event left it. */
    public void insertAll(List<DealView> deals) {
        jdbc.batchUpdate("""
                insert into deal_view (deal_id, pipeline_id, title, amount, currency, owner_id, source, expected_close_date,
                    company, contact, stage_id, status, lost_reason, lost_note, created_at, updated_at, stage_entered_at,
                    last_activity_at, closed_at, version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", deals, deals.size(), (statement, d) -> {
            statement.setString(1, d.dealId());
            statement.setString(2, d.pipelineId());
            statement.setString(3, d.title());
            statement.setBigDecimal(4, new BigDecimal(d.amount().value()));
            statement.setString(5, d.amount().currency());
            statement.setString(6, d.ownerId());
            statement.setString(7, d.source());
            statement.setDate(8, date(d.expectedCloseDate()));
            statement.setString(9, d.company());
            statement.setString(10, d.contact());
            statement.setString(11, d.stageId());
            statement.setString(12, d.status());
            statement.setString(13, d.lostReason());
            statement.setString(14, d.lostNote());
            statement.setTimestamp(15, timestamp(d.createdAt()));
            statement.setTimestamp(16, timestamp(d.updatedAt()));
            statement.setTimestamp(17, timestamp(d.stageEnteredAt()));
            statement.setTimestamp(18, timestamp(d.lastActivityAt()));
            statement.setTimestamp(19, timestamp(d.closedAt()));
            statement.setLong(20, d.version());
        });
    }

    void moved(String dealId, String stageId, Instant at, long version) {
        jdbc.update("update deal_view set stage_id = ?, stage_entered_at = ?, updated_at = ?, version = ? where deal_id = ?",
                stageId, Timestamp.from(at), Timestamp.from(at), version, dealId);
    }

    void closed(String dealId, DealStatus status, String reason, String note, Instant at, long version) {
        jdbc.update("update deal_view set status = ?, lost_reason = ?, lost_note = ?, closed_at = ?, updated_at = ?, version = ? where deal_id = ?",
                status.name(), reason, note, Timestamp.from(at), Timestamp.from(at), version, dealId);
    }

    void updated(String dealId, DealFields f, Instant at, long version) {
        jdbc.update("""
                update deal_view set title = ?, amount = ?, currency = ?, owner_id = ?, source = ?, expected_close_date = ?,
                    company = ?, contact = ?, updated_at = ?, version = ? where deal_id = ?""",
                f.title(), f.amount().value(), f.amount().currency(), f.ownerId(), f.source(), date(f.expectedCloseDate()),
                f.company(), f.contact(), Timestamp.from(at), version, dealId);
    }

    void reopened(String dealId, String stageId, Instant at, long version) {
        jdbc.update("""
                update deal_view set status = 'OPEN', stage_id = ?, stage_entered_at = ?, lost_reason = null, lost_note = null,
                    closed_at = null, updated_at = ?, version = ? where deal_id = ?""",
                stageId, Timestamp.from(at), Timestamp.from(at), version, dealId);
    }

    void activity(String dealId, Instant at, long version) {
        jdbc.update("update deal_view set last_activity_at = ?, updated_at = ?, version = ? where deal_id = ?",
                Timestamp.from(at), Timestamp.from(at), version, dealId);
    }

    static DealView.MoneyJson money(BigDecimal amount, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return new DealView.MoneyJson(amount.setScale(digits, RoundingMode.HALF_EVEN).toPlainString(), currency);
    }

    private static Date date(java.time.LocalDate date) {
        return date == null ? null : Date.valueOf(date);
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static DealView map(ResultSet rs, int row) throws SQLException {
        Date close = rs.getDate("expected_close_date");
        return new DealView(rs.getString("deal_id"), rs.getString("pipeline_id"), rs.getString("title"),
                money(rs.getBigDecimal("amount"), rs.getString("currency").strip()),
                rs.getString("owner_id"), rs.getString("source"), close == null ? null : close.toLocalDate(),
                rs.getString("company"), rs.getString("contact"), rs.getString("stage_id"), rs.getString("status"),
                rs.getString("lost_reason"), rs.getString("lost_note"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "stage_entered_at"), instant(rs, "last_activity_at"), instant(rs, "closed_at"), rs.getLong("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
