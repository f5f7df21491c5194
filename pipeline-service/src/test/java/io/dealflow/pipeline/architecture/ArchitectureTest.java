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

    @ArchTest
    static final ArchRule onlyTheEventContractIsShared = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.analytics..", "io.dealflow.gateway..", "io.dealflow.bench..");
}
