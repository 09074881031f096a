# richards: Martin Richards' operating-system simulation benchmark, written anew from the
# algorithm's description: six tasks (idle, worker, two handlers, two devices) exchange
# packets under a priority scheduler. Classes, methods and attribute access; each run must end
# with 23246 packets queued and 9297 holds. Ends with one line:
#   RESULT richards checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


RUNS = 16
COUNT = 10000
EXPECTED_QUEUED = 23246
EXPECTED_HOLDS = 9297

ID_IDLE = 1
ID_WORKER = 2
ID_HANDLER_A = 3
ID_HANDLER_B = 4
ID_DEVICE_A = 5
ID_DEVICE_B = 6

KIND_DEVICE = 0
KIND_WORK = 1

BUFFER_SIZE = 4
LETTERS = "0ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Packet:
    """A message: a link for the queue it is in, its destination (then sender) and a buffer."""

    def __init__(self, link, dest, kind):
        self.link = link
        self.dest = dest
        self.kind = kind
        self.count = 0
        self.data = [0] * BUFFER_SIZE


def enqueue(packet, head):
    """Appends `packet` to the queue starting at `head`; returns the queue's head."""
    packet.link = None
    if head is None:
        return packet
    last = head
    while last.link is not None:
        last = last.link
    last.link = packet
    return head


class Task:
    """A task control block. The three flags together make up the task's state."""

    def __init__(self, system, ident, priority, queue, waiting):
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.has_packet = queue is not None
        self.waiting = waiting
        self.held = False
        self.next = system.tasks
        system.tasks = self
        system.table[ident] = self

    def runnable(self):
        if self.held:
            return False
        return (not self.waiting) or self.has_packet

    def take_packet(self):
        """When waiting with a packet queued: dequeue it and become runnable."""
        if self.waiting and self.has_packet:
            packet = self.queue
            self.queue = packet.link
            self.waiting = False
            self.has_packet = self.queue is not None
            return packet
        return None

    def step(self, packet):
        raise NotImplementedError


class IdleTask(Task):
    """Alternately wakes the two devices, driven by a shift register, for `count` steps."""

    def __init__(self, system, ident, priority, queue, seed, count):
        Task.__init__(self, system, ident, priority, queue, False)
        self.register = seed
        self.remaining = count

    def step(self, packet):
        self.remaining -= 1
        if self.remaining == 0:
            return self.system.hold_current()
        if self.register & 1 == 0:
            self.register = (self.register >> 1) & 0x7FFF
            return self.system.release(ID_DEVICE_A)
        self.register = ((self.register >> 1) & 0x7FFF) ^ 0xD008
        return self.system.release(ID_DEVICE_B)


class WorkerTask(Task):
    """Fills work packets with letters and sends them to the handlers in turn."""

    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, True)
        self.target = ID_HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.system.wait_current()
        if self.target == ID_HANDLER_A:
            self.target = ID_HANDLER_B
        else:
            self.target = ID_HANDLER_A
        packet.dest = self.target
        packet.count = 0
        for i in range(BUFFER_SIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            packet.data[i] = LETTERS[self.letter]
        return self.system.send(packet)


class HandlerTask(Task):
    """Takes work packets and device packets; passes each letter of the work to a device."""

    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, True)
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work = enqueue(packet, self.work)
            else:
                self.devices = enqueue(packet, self.devices)
        if self.work is not None:
            work = self.work
            index = work.count
            if index >= BUFFER_SIZE:
                self.work = work.link
                return self.system.send(work)
            if self.devices is not None:
                device = self.devices
                self.devices = device.link
                device.count = work.data[index]
                work.count = index + 1
                return self.system.send(device)
        return self.system.wait_current()


class DeviceTask(Task):
    """Holds one packet at a time and sends it back when woken."""

    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, True)
        self.pending = None

    def step(self, packet):
        if packet is None:
            if self.pending is None:
                return self.system.wait_current()
            packet = self.pending
            self.pending = None
            return self.system.send(packet)
        self.pending = packet
        return self.system.hold_current()


class System:
    def __init__(self):
        self.tasks = None
        self.table = [None] * 10
        self.current = None
        self.queued = 0
        self.holds = 0

    def find(self, ident):
        task = self.table[ident]
        if task is None:
            raise ValueError("no task " + str(ident))
        return task

    def hold_current(self):
        self.holds += 1
        self.current.held = True
        return self.current.next

    def wait_current(self):
        self.current.waiting = True
        return self.current

    def release(self, ident):
        task = self.find(ident)
        task.held = False
        if task.priority > self.current.priority:
            return task
        return self.current

    def send(self, packet):
        """Queues `packet` on its destination; the sender's id goes into the packet."""
        task = self.find(packet.dest)
        self.queued += 1
        packet.link = None
        packet.dest = self.current.ident
        if task.queue is None:
            task.queue = packet
            task.has_packet = True
            if task.priority > self.current.priority:
                return task
        else:
            task.queue = enqueue(packet, task.queue)
        return self.current

    def schedule(self):
        task = self.tasks
        while task is not None:
            if task.held or (task.waiting and not task.has_packet):
                task = task.next
                continue
            packet = task.take_packet()
            self.current = task
            task = task.step(packet)


def build(system):
    IdleTask(system, ID_IDLE, 0, None, 1, COUNT)
    queue = Packet(None, 0, KIND_WORK)
    queue = Packet(queue, 0, KIND_WORK)
    WorkerTask(system, ID_WORKER, 1000, queue)
    queue = Packet(None, ID_DEVICE_A, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_A, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_A, KIND_DEVICE)
    HandlerTask(system, ID_HANDLER_A, 2000, queue)
    queue = Packet(None, ID_DEVICE_B, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_B, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_B, KIND_DEVICE)
    HandlerTask(system, ID_HANDLER_B, 3000, queue)
    DeviceTask(system, ID_DEVICE_A, 4000, None)
    DeviceTask(system, ID_DEVICE_B, 5000, None)


def run_once():
    system = System()
    build(system)
    system.schedule()
    if system.queued != EXPECTED_QUEUED or system.holds != EXPECTED_HOLDS:
        raise AssertionError(
            "richards: queued " + str(system.queued) + " held " + str(system.holds)
        )
    return system.queued * 100000 + system.holds


def main():
    meter = GcMeter()
    checksum = 0
    for _ in range(RUNS):
        checksum += run_once()
    meter.report("richards", checksum)


main()
