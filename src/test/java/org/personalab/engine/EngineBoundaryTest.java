package org.personalab.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DJL and Jinjava are the engine's business: the rest of the application must not depend on them. */
class EngineBoundaryTest {

    @Test
    void djlAndJinjavaOnlyInEngine() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.personalab");
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain("org.personalab.engine.DecoderModel"));
        noClasses().that().resideOutsideOfPackage("org.personalab.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "com.hubspot.jinjava..")
                .because("local models live in engine; other packages see plain Java types")
                .check(classes);
    }
}
