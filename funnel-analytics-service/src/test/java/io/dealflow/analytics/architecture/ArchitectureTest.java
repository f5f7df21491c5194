package io.dealflow.analytics.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layout as rules: features depend one way, the write side knows no HTTP, services share only the contract. */
@AnalyzeClasses(packages = "io.dealflow.analytics", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.dealflow.analytics.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule writeSideKnowsNoHttp = noClasses().that()
            .resideInAnyPackage("io.dealflow.analytics.ingest..", "io.dealflow.analytics.projection..", "io.dealflow.analytics.generation..")
            .should().dependOnClassesThat().resideInAnyPackage("io.micronaut.http..", "io.dealflow.analytics.web..");

    /** The counters' vocabulary stands on its own; the write side shares it with the queries but borrows nothing from them. */
    @ArchTest
    static final ArchRule writeSideBorrowsNothingFromTheQueries = noClasses().that()
            .resideInAnyPackage("io.dealflow.analytics.ingest..", "io.dealflow.analytics.projection..", "io.dealflow.analytics.tally..")
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.analytics.funnel..", "io.dealflow.analytics.journey..",
                    "io.dealflow.analytics.board..");

    @ArchTest
    static final ArchRule onlyTheEventContractIsShared = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.pipeline..", "io.dealflow.gateway..", "io.dealflow.bench..");
}
