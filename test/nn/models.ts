/**
 * User-written models for the memory-reuse tests: module classes as a PyTorch user writes them
 * (children as properties, the computation in forward with plain ops), no Sequential.
 */
import { add, nn, relu, type Tensor } from '../../src/index.js';

/** conv-BN-relu-conv-BN plus the skip, then relu (He et al., 2016, the basic block). */
export class ResidualBlock extends nn.Module {
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  constructor(channels: number) {
    super();
    this.conv1 = this.registerModule('conv1', nn.conv2d(channels, channels, 3, { padding: 1, bias: false }));
    this.bn1 = this.registerModule('bn1', nn.batchNorm2d(channels));
    this.conv2 = this.registerModule('conv2', nn.conv2d(channels, channels, 3, { padding: 1, bias: false }));
    this.bn2 = this.registerModule('bn2', nn.batchNorm2d(channels));
  }
  forward(x: Tensor): Tensor {
    const h = relu(this.bn1.forward(this.conv1.forward(x)));
    return relu(add(this.bn2.forward(this.conv2.forward(h)), x));
  }
}

/** A small ResNet on [N, 1, 12, 12]: a stem convolution, two residual blocks, global average pooling, Linear. */
export class SmallResNet extends nn.Module {
  readonly stem: nn.Conv2d;
  readonly block1: ResidualBlock;
  readonly block2: ResidualBlock;
  readonly pool: nn.AdaptiveAvgPool2d;
  readonly fc: nn.Linear;
  constructor(readonly channels = 8, classes = 10) {
    super();
    this.stem = this.registerModule('stem', nn.conv2d(1, channels, 3, { padding: 1 }));
    this.block1 = this.registerModule('block1', new ResidualBlock(channels));
    this.block2 = this.registerModule('block2', new ResidualBlock(channels));
    this.pool = this.registerModule('pool', nn.adaptiveAvgPool2d(1));
    this.fc = this.registerModule('fc', nn.linear(channels, classes));
  }
  forward(x: Tensor): Tensor {
    const h = this.block2.forward(this.block1.forward(relu(this.stem.forward(x))));
    return this.fc.forward(this.pool.forward(h).reshape(x.shape[0], this.channels));
  }
}

/** A two-hidden-layer MLP written by hand: relu(fc1), relu(fc2), fc3. */
export class HandMlp extends nn.Module {
  readonly fc1: nn.Linear;
  readonly fc2: nn.Linear;
  readonly fc3: nn.Linear;
  constructor(inputs: number, hidden: number, classes: number) {
    super();
    this.fc1 = this.registerModule('fc1', nn.linear(inputs, hidden));
    this.fc2 = this.registerModule('fc2', nn.linear(hidden, hidden));
    this.fc3 = this.registerModule('fc3', nn.linear(hidden, classes));
  }
  forward(x: Tensor): Tensor {
    return this.fc3.forward(relu(this.fc2.forward(relu(this.fc1.forward(x)))));
  }
}
