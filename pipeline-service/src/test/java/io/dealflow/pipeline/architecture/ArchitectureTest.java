package io.dealflow.pipeline.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layout as rules: features depend one way, services share only the event contract. */
@AnalyzeClasses(packages = "io.dealflow.pipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.dealflow.pipeline.(*)..").should().beFreeOfCycles();

    /** The deal's and the pipeline's API and aggregates speak the domain's language: broken rules, not HTTP or SQL. */
    @ArchTest
    static final ArchRule domainFreeOfWebAndPersistence = noClasses()
            .that().resideInAnyPackage("io.dealflow.pipeline.deal", "io.dealflow.pipeline.deal.aggregate",
                    "io.dealflow.pipeline.pipeline", "io.dealflow.pipeline.rules")
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.pipeline.web..", "org.springframework.web..",
                    "org.springframework.http..", "jakarta.servlet..", "java.sql..", "javax.sql..", "org.springframework.jdbc..");

    @ArchTest
    static final ArchRule onlyTheEventContractIsShared = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.analytics..", "io.dealflow.gateway..", "io.dealflow.bench..");
}
