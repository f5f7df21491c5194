package io.dealflow.gateway.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layout as rules: no package cycles; the gateway knows the services by their HTTP surface only. */
@AnalyzeClasses(packages = "io.dealflow.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.dealflow.gateway.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule knowsNoServiceCode = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.dealflow.pipeline..", "io.dealflow.analytics..", "io.dealflow.bench..");
}
