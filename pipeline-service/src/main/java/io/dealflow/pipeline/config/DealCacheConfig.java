package io.dealflow.pipeline.config;

import io.dealflow.pipeline.write.CommitFailureListener;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Recently used deal aggregates stay in memory, so a command on a deal does not read its events (or snapshot) back
 * from the store. The store stays the judge: an aggregate that another instance changed meanwhile fails its append
 * on the (aggregate, sequence) key, Axon drops it from the cache on that rollback, and the command is retried once
 * from the store (see DealController). A batch whose commit fails empties the cache.
 */
@Configuration
public class DealCacheConfig {

    @Bean(destroyMethod = "close")
    public CacheManager aggregateCacheManager() {
        return CacheManagerBuilder.newCacheManagerBuilder().build(true);
    }

    @Bean
    public Cache dealCache(CacheManager manager, @Value("${dealflow.deals.cache-size}") long size) {
        // Axon's adapter takes Ehcache's implementation type, which every cache the manager creates is
        return new EhCache3Adapter((Ehcache) manager.createCache("deals", CacheConfigurationBuilder
                .newCacheConfigurationBuilder(Object.class, Object.class, ResourcePoolsBuilder.heap(size))));
    }

    @Bean
    public CommitFailureListener dealCacheReset(Cache dealCache) {
        return dealCache::removeAll;
    }
}
