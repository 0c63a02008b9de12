package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void bodiesComeInWhileTheyFitAndOneAlwaysComesInAlone() {
        BodyBudget budget = new BodyBudget(100);
        assertTrue(budget.tryAcquire(60));
        assertTrue(budget.tryAcquire(40));
        assertFalse(budget.tryAcquire(1), "full");
        budget.release(60);
        assertFalse(budget.tryAcquire(70), "40 + 70 is over");
        assertTrue(budget.tryAcquire(60));
        budget.release(60);
        budget.release(40);
        assertEquals(0, budget.held());
        assertTrue(budget.tryAcquire(500), "one body larger than the budget comes in when nothing else is in flight");
        assertFalse(budget.tryAcquire(1));
    }
}
