package io.dealflow.pipeline.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dealflow.pipeline.web.CleanText;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

import java.io.IOException;

/**
 * Wrong JSON types are a 400, not silently converted: {@code "title": 42} is rejected. Decimal strings stay allowed.
 * Request bodies (not stored events) also refuse text with control characters or broken Unicode.
 */
@Configuration
public class StrictJsonConfig {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictScalars() {
        return builder -> builder.postConfigurer(mapper -> {
            var text = mapper.coercionConfigFor(LogicalType.Textual);
            text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
            text.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            text.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            var integers = mapper.coercionConfigFor(LogicalType.Integer);
            integers.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            integers.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            integers.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        });
    }

    @Bean
    MappingJackson2HttpMessageConverter requestBodies(ObjectMapper mapper) {
        return new MappingJackson2HttpMessageConverter(forRequests(mapper));
    }

    /** The mapper for what clients send: bodies and imported files. */
    public static ObjectMapper forRequests(ObjectMapper mapper) {
        SimpleModule cleanText = new SimpleModule("clean-text").addDeserializer(String.class, new CleanStringDeserializer());
        ObjectMapper requests = mapper.copy().registerModule(cleanText)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // numbers in a merge patch stay exact: 1e-400 must not arrive as 0.0
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // a date is an ISO string, never a number of days or an empty string
                .setDefaultLeniency(false);
        requests.coercionConfigFor(LogicalType.DateTime).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return requests;
    }

    private static final class CleanStringDeserializer extends StdScalarDeserializer<String> {

        CleanStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && !CleanText.isClean(text)) {
                throw context.weirdStringException("(not shown)", String.class, "text must not contain control characters or broken Unicode");
            }
            return text;
        }
    }
}
